/** Upstream issue and pull-request URL prefixes that expectation rows cite. */
export const CILIUM_ISSUE = 'https://github.com/cilium/cilium/issues/';
export const CILIUM_PULL = 'https://github.com/cilium/cilium/pull/';
export const INGRESS_NGINX_ISSUE = 'https://github.com/kubernetes/ingress-nginx/issues/';
export const KUBERNETES_ISSUE = 'https://github.com/kubernetes/kubernetes/issues/';
export const KUBERNETES_PULL = 'https://github.com/kubernetes/kubernetes/pull/';
