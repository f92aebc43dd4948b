// Command coredns is CoreDNS with only the plugins the test cluster's DNS needs (the kubernetes
// plugin and the usual kube-dns companions), so it builds in a fraction of the full set's time.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/hosts"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

// The order plugins run in, a subsequence of CoreDNS's plugin.cfg.
var directives = []string{"bind", "ready", "health", "errors", "log", "loadbalance", "cache", "hosts", "kubernetes"}

func main() {
	dnsserver.Directives = directives
	coremain.Run()
}
