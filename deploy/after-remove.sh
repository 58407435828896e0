#!/bin/sh
# deb postrm: the unit goes with the package; the journal and the configuration stay (money on record).
set -e
if [ -d /run/systemd/system ]; then systemctl stop konbini-kiosk.service 2>/dev/null || true; fi
rm -f /lib/systemd/system/konbini-kiosk.service
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
