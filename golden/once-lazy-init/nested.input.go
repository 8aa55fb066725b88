package config

import "strings"

type Codec struct{ Name string }

var (
	jsonCodec *Codec
	textCodec *Codec
)

// The lazy initialisations sit inside a switch and inside a function literal.
func Lookup(name string) *Codec {
	switch strings.ToLower(name) {
	case "json":
		if jsonCodec == nil {
			jsonCodec = &Codec{Name: "json"}
		}
		return jsonCodec
	default:
		get := func() *Codec {
			if textCodec == nil {
				textCodec = &Codec{Name: "text"}
			}
			return textCodec
		}
		return get()
	}
}
