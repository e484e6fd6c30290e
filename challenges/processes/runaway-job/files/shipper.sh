#!/bin/bash
# Log shipper: forwards /var/log/app to the central log host. On SIGHUP it
# reopens its log files (after a rotation) and keeps running.
mkdir -p /var/log/shipper
reopen() {
	date '+%F %T reopened log files' >> /var/log/shipper/shipper.log
	touch /var/log/shipper/reopened
}
trap reopen HUP
echo "$(date '+%F %T') started as pid $$" >> /var/log/shipper/shipper.log
while :; do
	sleep 5 &
	wait $!
done
