package session

import (
	"errors"
	"io"
	"os"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
)

// Prompter asks the learner to choose. Survey implements it on a terminal;
// tests drive their own.
type Prompter interface {
	// Select returns the index of the chosen option; def is preselected.
	Select(msg string, options []string, def int) (int, error)
	// Confirm asks a yes/no question; the default is no.
	Confirm(msg string) (bool, error)
}

// ErrAborted is returned by a Prompter when the learner pressed Ctrl-C or
// closed the input.
var ErrAborted = errors.New("aborted")

// Survey is a Prompter over a terminal, with type-to-filter selection.
type Survey struct {
	In  terminal.FileReader
	Out terminal.FileWriter
	Err io.Writer
	// PageSize is how many options show at once; 0 means 15.
	PageSize int
}

// NewSurvey returns a Survey over the process's terminal.
func NewSurvey(in, out *os.File, errw io.Writer) *Survey {
	return &Survey{In: in, Out: out, Err: errw}
}

func (s *Survey) opts() []survey.AskOpt {
	ps := s.PageSize
	if ps == 0 {
		ps = 15
	}
	return []survey.AskOpt{survey.WithStdio(s.In, s.Out, s.Err), survey.WithPageSize(ps)}
}

// Select implements Prompter.
func (s *Survey) Select(msg string, options []string, def int) (int, error) {
	p := &survey.Select{Message: msg, Options: options}
	if def >= 0 && def < len(options) {
		p.Default = options[def]
	}
	var i int
	if err := survey.AskOne(p, &i, s.opts()...); err != nil {
		return 0, promptErr(err)
	}
	return i, nil
}

// Confirm implements Prompter.
func (s *Survey) Confirm(msg string) (bool, error) {
	var ok bool
	if err := survey.AskOne(&survey.Confirm{Message: msg}, &ok, s.opts()...); err != nil {
		return false, promptErr(err)
	}
	return ok, nil
}

func promptErr(err error) error {
	if errors.Is(err, terminal.InterruptErr) || errors.Is(err, io.EOF) || errors.Is(err, os.ErrClosed) {
		return ErrAborted
	}
	return err
}
