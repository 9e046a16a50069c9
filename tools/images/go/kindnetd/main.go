// kindnetd (netrepro's own) is a stand-in for kind's default CNI daemon, whose
// module (sigs.k8s.io/kind/images/kindnetd) is not served by the Go module
// proxy this workplace reaches. It does the same three jobs in a simple loop:
//
//  1. write the node's CNI config (ptp + host-local over the node's podCIDRs,
//     portmap) once the node has a podCIDR;
//  2. route every other node's podCIDRs via that node's InternalIP;
//  3. masquerade pod traffic that leaves the pod network.
//
// IPv4 only. Written for netrepro.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

const (
	confFile  = "10-kindnet.conflist"
	masqChain = "NETREPRO-KINDNET-MASQ"
	interval  = 10 * time.Second
)

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format(time.RFC3339)+" "+format+"\n", args...)
}

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func ipv4Only(cidrs []string) []string {
	var out []string
	for _, c := range cidrs {
		if ip, _, err := net.ParseCIDR(strings.TrimSpace(c)); err == nil && ip.To4() != nil {
			out = append(out, strings.TrimSpace(c))
		}
	}
	return out
}

func internalIPv4(n *corev1.Node) string {
	for _, a := range n.Status.Addresses {
		if a.Type == corev1.NodeInternalIP {
			if ip := net.ParseIP(a.Address); ip != nil && ip.To4() != nil {
				return a.Address
			}
		}
	}
	return ""
}

// mtuOf returns the MTU of the interface that holds hostIP (1500 if unknown).
func mtuOf(hostIP string) int {
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.String() == hostIP {
				return ifc.MTU
			}
		}
	}
	return 1500
}

func cniConfig(podCIDRs []string, mtu int) ([]byte, error) {
	ranges := make([][]map[string]string, 0, len(podCIDRs))
	for _, c := range podCIDRs {
		ranges = append(ranges, []map[string]string{{"subnet": c}})
	}
	conf := map[string]any{
		"cniVersion": "1.0.0",
		"name":       "kindnet",
		"plugins": []any{
			map[string]any{
				"type":   "ptp",
				"ipMasq": false,
				"mtu":    mtu,
				"ipam": map[string]any{
					"type":    "host-local",
					"dataDir": "/run/cni-ipam-state",
					"routes":  []map[string]string{{"dst": "0.0.0.0/0"}},
					"ranges":  ranges,
				},
			},
			map[string]any{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	return json.MarshalIndent(conf, "", "  ")
}

func writeIfChanged(path string, data []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return false, nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return false, err
	}
	return true, os.Rename(tmp, path)
}

// ensureMasq installs: POSTROUTING -s <pod net> ! dst-local -> chain; chain: -d <pod net> RETURN, MASQUERADE.
func ensureMasq(podSubnets []string) error {
	_ = exec.Command("iptables", "-t", "nat", "-N", masqChain).Run()
	rules := [][]string{}
	for _, s := range podSubnets {
		rules = append(rules, []string{masqChain, "-d", s, "-j", "RETURN"})
	}
	rules = append(rules, []string{masqChain, "-j", "MASQUERADE"})
	for _, s := range podSubnets {
		rules = append(rules, []string{"POSTROUTING", "-s", s, "-m", "addrtype", "!", "--dst-type", "LOCAL", "-j", masqChain})
	}
	for _, rule := range rules {
		check := append([]string{"-t", "nat", "-C"}, rule...)
		if exec.Command("iptables", check...).Run() == nil {
			continue
		}
		add := append([]string{"-w", "5", "-t", "nat", "-A"}, rule...)
		if err := run("iptables", add...); err != nil {
			return err
		}
	}
	return nil
}

func sync(ctx context.Context, cs kubernetes.Interface, self, hostIP, confDir string, podSubnets []string) error {
	nodes, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range nodes.Items {
		n := &nodes.Items[i]
		cidrs := n.Spec.PodCIDRs
		if len(cidrs) == 0 && n.Spec.PodCIDR != "" {
			cidrs = []string{n.Spec.PodCIDR}
		}
		cidrs = ipv4Only(cidrs)
		if n.Name == self {
			if len(cidrs) == 0 {
				logf("node %s has no podCIDR yet", self)
				continue
			}
			data, err := cniConfig(cidrs, mtuOf(hostIP))
			if err != nil {
				return err
			}
			changed, err := writeIfChanged(filepath.Join(confDir, confFile), data)
			if err != nil {
				return err
			}
			if changed {
				logf("wrote %s for %v", filepath.Join(confDir, confFile), cidrs)
			}
			continue
		}
		via := internalIPv4(n)
		if via == "" {
			continue
		}
		for _, c := range cidrs {
			if err := run("ip", "route", "replace", c, "via", via); err != nil {
				logf("route %s via %s: %v", c, via, err)
			}
		}
	}
	return ensureMasq(podSubnets)
}

func main() {
	self := os.Getenv("NODE_NAME")
	if self == "" {
		self, _ = os.Hostname()
	}
	hostIP := os.Getenv("HOST_IP")
	confDir := os.Getenv("CNI_CONFIG_DIR")
	if confDir == "" {
		confDir = "/etc/cni/net.d"
	}
	podSubnets := ipv4Only(strings.Split(os.Getenv("POD_SUBNET"), ","))
	cfg, err := rest.InClusterConfig()
	if err != nil {
		logf("in-cluster config: %v", err)
		os.Exit(1)
	}
	// kind adds the API server's node address so we need not wait for kube-proxy
	if ep := os.Getenv("CONTROL_PLANE_ENDPOINT"); ep != "" {
		cfg.Host = "https://" + ep
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		logf("client: %v", err)
		os.Exit(1)
	}
	logf("kindnetd (netrepro) on node %s, host IP %s, pod subnets %v", self, hostIP, podSubnets)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), interval)
		if err := sync(ctx, cs, self, hostIP, confDir, podSubnets); err != nil {
			logf("sync: %v", err)
		}
		cancel()
		time.Sleep(interval)
	}
}
