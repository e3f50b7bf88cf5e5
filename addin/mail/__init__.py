"""Files that come by e-mail (``sangkien mail``): a mailbox's attachments fetched into the inbox, with the
time each message reached the mailbox kept as the evidence for every deadline.

One job per module: ``sources`` (mbox, .eml) and ``imap`` (read-only IMAP over TLS) give raw messages;
``mime`` takes one apart (lenient, every defect reported), ``tnef`` opens Outlook's winmail.dat; ``store``
saves attachments under safe unique names, the same bytes once, zips through the safety gate; ``manifest``
is the record beside the files that the district and the province read (``received_times``); ``fetch``
is the library call, ``fetch_mail``.
"""
