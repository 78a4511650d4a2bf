#!/bin/sh
# notify.sh UNIT: the failure report of a systemd unit (run by dnssweep-notify@.service):
# its status and the last 60 lines of its journal, on stdout (the journal) and, when
# /usr/sbin/sendmail exists, mailed to DNSSWEEP_MAILTO [root].
set -u
if [ $# -ne 1 ]; then
    echo "usage: notify.sh UNIT" >&2
    exit 2
fi
unit=$1
to=${DNSSWEEP_MAILTO:-root}
text=$(
    systemctl status --full --no-pager --lines=0 "$unit" 2>&1
    echo
    journalctl --unit="$unit" --lines=60 --no-pager --output=cat 2>&1
)
printf '%s\n' "$text"
if [ -x /usr/sbin/sendmail ]; then
    printf 'To: %s\nSubject: %s failed on %s\n\n%s\n' "$to" "$unit" "$(hostname)" "$text" |
        /usr/sbin/sendmail -t || {
        echo "notify: sendmail failed; the report is above" >&2
        exit 1
    }
fi
