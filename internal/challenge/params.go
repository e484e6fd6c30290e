package challenge

import (
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var paramName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// maxWord bounds `word: N`.
const maxWord = 64

// params decodes the params mapping: name -> {int: [lo, hi]} | {choice: [..]}
// | {word: N}, each with an optional given: bool.
func (d *decoder) params(k, v *yaml.Node) []Param {
	if v.Kind != yaml.MappingNode {
		d.errorf(v, "key %q: want a mapping of param names, got %s", k.Value, describe(v))
		return nil
	}
	var out []Param
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		nk, nv := v.Content[i], resolve(v.Content[i+1])
		p := Param{Name: nk.Value, Pos: pos(nk)}
		if seen[p.Name] {
			d.errorf(nk, "param %q is defined twice", p.Name)
			continue
		}
		seen[p.Name] = true
		if !paramName.MatchString(p.Name) {
			d.errorf(nk, "param %q: a name is lower-case letters, digits and '_', starting with a letter", p.Name)
		}
		what := "param " + strconv.Quote(p.Name)
		kinds := 0
		ok := d.fields(nv, what, []field{
			{key: "int", set: func(k, v *yaml.Node) {
				kinds++
				if v.Kind != yaml.SequenceNode || len(v.Content) != 2 {
					d.errorf(v, "%s: int wants a range [lo, hi], got %s", what, describe(v))
					return
				}
				lo, ok1 := d.integer(k, resolve(v.Content[0]))
				hi, ok2 := d.integer(k, resolve(v.Content[1]))
				if ok1 && ok2 {
					if lo > hi {
						d.errorf(v, "%s: int range [%d, %d] is empty: lo is above hi", what, lo, hi)
						return
					}
					p.Int = &[2]int{lo, hi}
				}
			}},
			{key: "choice", set: func(k, v *yaml.Node) {
				kinds++
				list, ok := d.strList(k, v)
				if !ok {
					return
				}
				if len(list) == 0 {
					d.errorf(v, "%s: choice needs at least one value", what)
					return
				}
				dup := map[string]bool{}
				for j, c := range list {
					if dup[c] {
						d.errorf(v.Content[j], "%s: choice %q appears twice", what, c)
					}
					dup[c] = true
				}
				p.Choice = list
			}},
			{key: "word", set: func(k, v *yaml.Node) {
				kinds++
				n, ok := d.integer(k, v)
				if ok && (n < 1 || n > maxWord) {
					d.errorf(v, "%s: word length %d is outside 1 to %d", what, n, maxWord)
					return
				}
				p.Word = n
			}},
			{key: "given", set: func(k, v *yaml.Node) { p.Given, _ = d.boolean(k, v) }},
		})
		if ok && kinds != 1 {
			d.errorf(nv, "%s: give exactly one of int, choice, word", what)
		}
		out = append(out, p)
	}
	return out
}

// Generate returns the param's value for seed. It depends only on the seed
// and the param's name and kind, so adding a param leaves the others' values
// unchanged.
func (p Param) Generate(seed int64) string {
	h := fnv.New64a()
	h.Write([]byte(p.Name))
	r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	switch {
	case p.Int != nil:
		lo, hi := p.Int[0], p.Int[1]
		return strconv.Itoa(lo + int(r.Int64N(int64(hi)-int64(lo)+1)))
	case len(p.Choice) > 0:
		return p.Choice[r.IntN(len(p.Choice))]
	case p.Word > 0:
		const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
		var b strings.Builder
		for range p.Word {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	return ""
}

// EnvName is the environment variable a given param is exported as.
func (p Param) EnvName() string { return "GYM_" + strings.ToUpper(p.Name) }
