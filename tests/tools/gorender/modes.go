package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/Masterminds/sprig"
	"golang.org/x/crypto/bcrypt"
)

// funcNames prints the names of every function tink's templates may call beyond Go's built-ins (sprig's
// TxtFuncMap and formatPartition), as a JSON array, sorted: what the engine must define.
func funcNames() {
	names := []string{"formatPartition"}
	for name := range sprig.TxtFuncMap() {
		names = append(names, name)
	}
	sort.Strings(names)
	if err := json.NewEncoder(os.Stdout).Encode(names); err != nil {
		fmt.Fprintln(os.Stderr, "gorender:", err)
		os.Exit(2)
	}
}

// bcryptCheck is the oracle's second use: whether Go's bcrypt (the library sprig's bcrypt and htpasswd call)
// accepts each password for its hash, so that hashes made elsewhere can be checked against the real one.
// stdin: a JSON array of {"hash", "password"}; stdout: a JSON array of booleans, in order.
func bcryptCheck() {
	var pairs []struct {
		Hash     string `json:"hash"`
		Password string `json:"password"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&pairs); err != nil {
		fmt.Fprintln(os.Stderr, "gorender:", err)
		os.Exit(2)
	}
	matches := make([]bool, len(pairs))
	for i, p := range pairs {
		matches[i] = bcrypt.CompareHashAndPassword([]byte(p.Hash), []byte(p.Password)) == nil
	}
	if err := json.NewEncoder(os.Stdout).Encode(matches); err != nil {
		fmt.Fprintln(os.Stderr, "gorender:", err)
		os.Exit(2)
	}
}
