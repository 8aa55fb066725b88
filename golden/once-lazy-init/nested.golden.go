package config

import (
	"strings"
	"sync"
)

type Codec struct{ Name string }

var (
	jsonCodec *Codec
	textCodec *Codec
)
var jsonCodecOnce sync.Once
var textCodecOnce sync.Once

// The lazy initialisations sit inside a switch and inside a function literal.
func Lookup(name string) *Codec {
	switch strings.ToLower(name) {
	case "json":
		jsonCodecOnce.Do(func() {
			jsonCodec = &Codec{Name: "json"}
		})
		return jsonCodec
	default:
		get := func() *Codec {
			textCodecOnce.Do(func() {
				textCodec = &Codec{Name: "text"}
			})
			return textCodec
		}
		return get()
	}
}
