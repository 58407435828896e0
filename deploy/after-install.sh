#!/bin/sh
# deb postinst (electron-builder deb.afterInstall): the kiosk's user, its state folder, its
# configuration folder and the systemd unit. Enabling the unit is the operator's step.
set -e
if ! getent passwd kiosk >/dev/null; then
  useradd --system --create-home --home-dir /var/lib/konbini-kiosk --shell /usr/sbin/nologin kiosk
fi
for group in video input render dialout; do
  if getent group "$group" >/dev/null; then usermod -a -G "$group" kiosk; fi
done
install -d -m 0750 -o root -g kiosk /etc/konbini-kiosk
if [ ! -e /etc/konbini-kiosk/kiosk.env ]; then
  install -m 0640 -o root -g kiosk /opt/konbini-kofu-kiosk/deploy/kiosk.env.example /etc/konbini-kiosk/kiosk.env
fi
install -m 0644 /opt/konbini-kofu-kiosk/deploy/konbini-kiosk.service /lib/systemd/system/konbini-kiosk.service
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
