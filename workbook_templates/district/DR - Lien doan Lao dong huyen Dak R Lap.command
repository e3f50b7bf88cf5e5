#!/bin/sh
# sangkien: the buttons of 'DR - Lien doan Lao dong huyen Dak R Lap.xlsm' without a macro (made by sangkien excel).
here="$(cd "$(dirname "$0")" && pwd)"
exe="${SANGKIEN_HOME:-$HOME/sangkien}/.venv/bin/sangkien"
[ -x "$exe" ] || exe="$(command -v sangkien || true)"
if [ -z "$exe" ]; then
    echo 'Không tìm thấy chương trình sangkien (~/sangkien/.venv/bin/sangkien). Hãy cài theo mục «Cài đặt» trong README, hoặc đặt biến môi trường SANGKIEN_HOME là thư mục cài sangkien.'
    [ -t 0 ] && read -r _
    exit 2
fi
exec "$exe" run "$here/DR - Lien doan Lao dong huyen Dak R Lap.xlsm" --launcher "$@"
