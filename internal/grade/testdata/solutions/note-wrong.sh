#!/bin/bash
# Right word, but the file stays world-readable.
echo "$GYM_WORD" > ~/note.txt
chmod 644 ~/note.txt
