// Package sandbox runs shellgym's throwaway containers: the sandbox image, the
// hardened profile, lifecycle with a hard deadline, exec with timeouts and
// output caps, PTY attach, file copy in and out through the archive API, and
// an inspector that reads processes and sockets from outside the learner's
// reach. It is the only package that imports the Docker client, and it knows
// nothing of challenges or checks.
package sandbox
