/**
 * The controller renders /etc/nginx/template/nginx.tmpl (from the module's
 * rootfs) into the whole nginx.conf. Upstream runs it on its own
 * OpenResty-style nginx build; ours is Debian's nginx, so the template gets
 * two build-time edits, both small and checked (a pin bump that moves the
 * anchors fails the build instead of silently shipping an unpatched file):
 *
 * 1. load_module lines: Debian builds http-lua, its NDK and headers-more as
 *    dynamic modules that Debian's own nginx.conf loads; the rendered
 *    nginx.conf replaces that file, so it must load them itself.
 * 2. The `stream {}` block goes: it needs stream-lua (`lua_add_variable`,
 *    `*_by_lua_block` in stream), which Debian does not package. TCP/UDP
 *    services (tcp/udp ConfigMaps) are therefore unsupported. The controller
 *    still sends its stream configuration (an empty list) to 127.0.0.1:<stream
 *    port> after every change and would log a failed reconfiguration if nothing
 *    listened; an http server on that port reads the line and answers 400.
 */

export const DEBIAN_NGINX_MODULES_DIR = '/usr/lib/nginx/modules';

/** In load order: the NDK before http-lua, which needs it. */
export const DEBIAN_NGINX_MODULES = ['ndk_http_module', 'ngx_http_lua_module', 'ngx_http_headers_more_filter_module'];

const PID_LINE = /^pid \{\{ \.PID \}\};$/m;
// The http block's closing brace, blank lines, then the stream block up to the
// next brace in column 0 (the template indents everything inside blocks).
const STREAM_BLOCK = /^\}\n\s*\nstream \{\n[\s\S]*?\n\}\n/m;

const STREAM_STUB = `
    # netrepro: no stream-lua in Debian, so no stream block and no TCP/UDP
    # services. The controller still writes its stream configuration to this
    # port; this server reads it (as a request line) and answers 400.
    server {
        listen 127.0.0.1:{{ .StreamPort }};
        access_log off;
        return 444;
    }
}
`;

function countMatches(text: string, re: RegExp): number {
  return (text.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g')) ?? []).length;
}

export function patchTemplate(template: string): string {
  if (countMatches(template, PID_LINE) !== 1) throw new Error('nginx.tmpl: expected one `pid {{ .PID }};` line to put load_module after');
  if (countMatches(template, STREAM_BLOCK) !== 1) throw new Error('nginx.tmpl: expected one `stream {` block right after the http block');
  const modules = DEBIAN_NGINX_MODULES.map((m) => `load_module ${DEBIAN_NGINX_MODULES_DIR}/${m}.so;`).join('\n');
  return template
    .replace(PID_LINE, (line) => `${line}\n\n# netrepro: Debian's nginx builds these as dynamic modules\n${modules}`)
    .replace(STREAM_BLOCK, STREAM_STUB);
}
