#!/bin/bash
echo "$GYM_WORD" > ~/note.txt
chmod 600 ~/note.txt
while :; do :; done
