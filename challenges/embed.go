// Package challenges is shellgym's built-in catalog, embedded in the binary:
// one folder per challenge, <category>/<id>/challenge.yaml (+ files/).
package challenges

import "embed"

// FS holds the catalog; its root holds the category folders. Naming the
// files (rather than embedding every folder) keeps a category folder that is
// still empty from breaking the build.
//
//go:embed */*/challenge.yaml all:*/*/files
var FS embed.FS
