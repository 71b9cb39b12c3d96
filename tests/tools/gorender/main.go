// gorender renders templates exactly as tink does (Go's text/template, Option("missingkey=error"),
// Funcs(sprig.TxtFuncMap()) and tink's formatPartition), as the oracle of the template language's differential
// test. A test tool, not part of the product.
//
// (gorender bcrypt-check and gorender funcs: see modes.go.)
// stdin: a JSON array of {"name", "template", "data"} (data's whole numbers are int, other numbers float64: the
// engine has one integer type); stdout: a JSON array of {"output"} or {"error"}, in order.
// Build (Debian's golang-go and golang-github-masterminds-sprig-dev, GOPATH mode):
//
//	GOPATH=<dir>:/usr/share/gocode GO111MODULE=off go build -o gorender .
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
)

type renderCase struct {
	Name     string      `json:"name"`
	Template string      `json:"template"`
	Data     interface{} `json:"data"`
}

type result struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// formatPartition is tink's: nvme devices take a "p" before the partition number; sd, vd, xvd and hd devices take
// the number; any other device is returned as it is.
func formatPartition(dev string, partition int) string {
	switch {
	case strings.HasPrefix(dev, "/dev/nvme"):
		return fmt.Sprintf("%vp%v", dev, partition)
	case strings.HasPrefix(dev, "/dev/sd"), strings.HasPrefix(dev, "/dev/vd"), strings.HasPrefix(dev, "/dev/xvd"), strings.HasPrefix(dev, "/dev/hd"):
		return fmt.Sprintf("%v%v", dev, partition)
	}
	return dev
}

func render(c renderCase) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	t, err := template.New("workflow-template").Option("missingkey=error").Funcs(sprig.TxtFuncMap()).
		Funcs(template.FuncMap{"formatPartition": formatPartition}).Parse(c.Template)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, c.Data); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// typed turns the decoder's json.Number into int (whole numbers) or float64.
func typed(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case []interface{}:
		for i := range x {
			x[i] = typed(x[i])
		}
	case map[string]interface{}:
		for k := range x {
			x[k] = typed(x[k])
		}
	}
	return v
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "bcrypt-check" {
		bcryptCheck()
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "funcs" {
		funcNames()
		return
	}
	var cases []renderCase
	dec := json.NewDecoder(os.Stdin)
	dec.UseNumber()
	if err := dec.Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "gorender:", err)
		os.Exit(2)
	}
	results := make([]result, len(cases))
	for i, c := range cases {
		c.Data = typed(c.Data)
		out, err := render(c)
		if err != nil {
			msg := err.Error()
			results[i].Error = &msg
		} else {
			results[i].Output = &out
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "gorender:", err)
		os.Exit(2)
	}
}
