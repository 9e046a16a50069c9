/** Label selectors of the cluster components the harness and the stories look for. */
export const KUBE_DNS_PODS = 'k8s-app=kube-dns';
export const CILIUM_AGENT_PODS = 'k8s-app=cilium';
export const KUBE_PROXY_PODS = 'k8s-app=kube-proxy';
/** The controller pods of an ingress-nginx release (the chart's component label). */
export const INGRESS_NGINX_CONTROLLER_PODS = 'app.kubernetes.io/component=controller';

/** Container names inside those pods, for exec. */
export const CILIUM_AGENT_CONTAINER = 'cilium-agent';
export const INGRESS_NGINX_CONTROLLER_CONTAINER = 'controller';
