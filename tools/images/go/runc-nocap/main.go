// runc-nocap is an OCI runtime shim: it removes from a container's capability
// sets every capability that this process's own bounding set lacks, then execs
// the real runc with the same arguments. Needed where the host's bounding set
// is missing a capability (CAP_SYS_RESOURCE here) and `--privileged` would ask
// for it anyway ("unable to apply caps: operation not permitted").
//
// It also completes privileged sets written by an engine that predates the
// newest capabilities: Debian bookworm's dockerd 20.10 gives a privileged
// container every capability up to CAP_AUDIT_READ, not CAP_PERFMON, CAP_BPF or
// CAP_CHECKPOINT_RESTORE, so kind nodes (and every pod in them) lacked what a
// newer engine grants; bpftool built with libcap then refuses `feature probe`.
//
// It rewrites <bundle>/config.json for `create`/`run` and the --process file
// for `exec`. Written for netrepro; not derived from any other wrapper.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// realRuntime is set at build time with -ldflags "-X main.realRuntime=/path".
var realRuntime = "/usr/sbin/runc"

// Linux capability numbers, from linux/capability.h.
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
	"CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	"CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

// legacyCount is how many capabilities an engine that stops at CAP_AUDIT_READ knows.
const legacyCount = 38

// runc global flags that take a value (so their value is not the subcommand).
var globalWithValue = map[string]bool{"--root": true, "--log": true, "--log-format": true, "--criu": true, "--rootless": true}

// unavailable returns the capability names missing from our bounding set.
func unavailable() map[string]bool {
	missing := map[string]bool{}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return missing
	}
	for _, line := range strings.Split(string(status), "\n") {
		if !strings.HasPrefix(line, "CapBnd:") {
			continue
		}
		bnd, err := strconv.ParseUint(strings.TrimSpace(strings.TrimPrefix(line, "CapBnd:")), 16, 64)
		if err != nil {
			return missing
		}
		for i, name := range capNames {
			if bnd&(1<<uint(i)) == 0 {
				missing[name] = true
			}
		}
	}
	return missing
}

func filter(list any, missing map[string]bool) any {
	items, ok := list.([]any)
	if !ok {
		return list
	}
	kept := make([]any, 0, len(items))
	for _, it := range items {
		if s, ok := it.(string); ok && missing[s] {
			continue
		}
		kept = append(kept, it)
	}
	return kept
}

// complete adds the capabilities after CAP_AUDIT_READ that we have to a set
// that holds every capability up to it: a privileged set from an older engine.
func complete(list any, missing map[string]bool) any {
	items, ok := list.([]any)
	if !ok {
		return list
	}
	have := map[string]bool{}
	for _, it := range items {
		if s, ok := it.(string); ok {
			have[s] = true
		}
	}
	for _, name := range capNames[:legacyCount] {
		if !have[name] && !missing[name] {
			return list
		}
	}
	for _, name := range capNames[legacyCount:] {
		if !have[name] && !missing[name] {
			items = append(items, name)
		}
	}
	return items
}

// patchFile rewrites the capability sets found under path's JSON at keys.
func patchFile(path string, nested bool, missing map[string]bool) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	proc := doc
	if nested {
		p, ok := doc["process"].(map[string]any)
		if !ok {
			return nil
		}
		proc = p
	}
	if caps, ok := proc["capabilities"].(map[string]any); ok {
		for set, list := range caps {
			caps[set] = filter(complete(list, missing), missing)
		}
	}
	// Without CAP_SYS_RESOURCE a process may not lower its oom_score_adj:
	// never ask for less than what we run with.
	if adj, ok := proc["oomScoreAdj"].(float64); ok && missing["CAP_SYS_RESOURCE"] {
		if own, err := os.ReadFile("/proc/self/oom_score_adj"); err == nil {
			if cur, err := strconv.Atoi(strings.TrimSpace(string(own))); err == nil && adj < float64(cur) {
				proc["oomScoreAdj"] = cur
			}
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, info.Mode().Perm())
}

// flagValue finds "--name value" or "--name=value" (or the short form) in args.
func flagValue(args []string, long, short string) (string, bool) {
	for i, a := range args {
		for _, f := range []string{long, short} {
			if f == "" {
				continue
			}
			if a == f && i+1 < len(args) {
				return args[i+1], true
			}
			if strings.HasPrefix(a, f+"=") {
				return strings.TrimPrefix(a, f+"="), true
			}
		}
	}
	return "", false
}

func main() {
	args := os.Args[1:]
	if env := os.Getenv("NETREPRO_REAL_RUNC"); env != "" {
		realRuntime = env
	}
	sub, rest := "", []string(nil)
	for i := 0; i < len(args); i++ {
		a := args[i]
		if globalWithValue[a] {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		sub, rest = a, args[i+1:]
		break
	}
	// Always patched: a privileged set may need completing even where nothing is missing.
	missing := unavailable()
	var err error
	switch sub {
	case "create", "run":
		bundle, ok := flagValue(rest, "--bundle", "-b")
		if !ok {
			bundle, _ = os.Getwd()
		}
		err = patchFile(filepath.Join(bundle, "config.json"), true, missing)
	case "exec":
		if p, ok := flagValue(rest, "--process", "-p"); ok {
			err = patchFile(p, false, missing)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "runc-nocap: %v\n", err)
		os.Exit(1)
	}
	if err := syscall.Exec(realRuntime, append([]string{realRuntime}, args...), os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "runc-nocap: exec %s: %v\n", realRuntime, err)
		os.Exit(1)
	}
}
