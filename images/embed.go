// Package images holds the Dockerfile of the shellgym sandbox image, embedded
// in the binary so that `shellgym images build` needs no checkout.
package images

import _ "embed"

// Dockerfile is the sandbox image's Dockerfile. Its hash names the image tag,
// so any change to it means a rebuild.
//
//go:embed Dockerfile
var Dockerfile []byte
