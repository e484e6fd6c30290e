#!/bin/bash
# Different commands from the reference solution: umask and printf via tee.
umask 077
printf '%s\n' "$GYM_WORD" | tee note.txt >/dev/null
