@echo off
chcp 65001 >nul
setlocal
set "SANGKIEN_EXE=%USERPROFILE%\sangkien\.venv\Scripts\sangkien.exe"
if defined SANGKIEN_HOME set "SANGKIEN_EXE=%SANGKIEN_HOME%\.venv\Scripts\sangkien.exe"
if exist "%SANGKIEN_EXE%" goto run
echo Không tìm thấy chương trình sangkien (%SANGKIEN_EXE%). Hãy cài theo mục «Cài đặt» trong README, hoặc đặt biến môi trường SANGKIEN_HOME là thư mục cài sangkien.
pause
exit /b 2
:run
"%SANGKIEN_EXE%" run "%~dp0KN - Lien doan Lao dong huyen Krong No.xlsm" --launcher %*
