import { describe, expect, test } from 'vitest';
import { commitOf } from './index.ts';
import { DEBIAN_NGINX_MODULES, patchTemplate } from './template.ts';

// The shape of the controller's nginx.tmpl around the two anchors (our own
// miniature, not upstream text): `pid` at the top, the http block closing in
// column 0, then the stream block with indented contents.
const MINI = `{{ $all := . }}
pid {{ .PID }};

daemon off;

http {
    lua_package_path "/etc/nginx/lua/?.lua;;";
    server {
        listen 127.0.0.1:{{ .StatusPort }};
    }
}

stream {
    lua_add_variable $proxy_upstream_name;
    server {
        listen 127.0.0.1:{{ .StreamPort }};
        content_by_lua_block {
          tcp_udp_configuration.call()
        }
    }
}

{{ define "SERVER" }}
{{ end }}
`;

describe('patchTemplate (ingress-nginx on Debian nginx)', () => {
  const out = patchTemplate(MINI);

  test('loads the Debian dynamic modules right after pid, NDK before http-lua', () => {
    const lines = out.split('\n');
    const pid = lines.indexOf('pid {{ .PID }};');
    const loads = lines.filter((l) => l.startsWith('load_module '));
    expect(loads).toEqual(DEBIAN_NGINX_MODULES.map((m) => `load_module /usr/lib/nginx/modules/${m}.so;`));
    expect(lines.indexOf(loads[0]!)).toBeGreaterThan(pid);
    expect(lines.indexOf(loads[0]!)).toBeLessThan(lines.indexOf('http {'));
  });

  test('drops the stream block and keeps a listener on the stream port inside http', () => {
    expect(out).not.toContain('stream {');
    expect(out).not.toContain('lua_add_variable');
    const http = out.slice(out.indexOf('http {'), out.indexOf('{{ define "SERVER" }}'));
    expect(http).toContain('listen 127.0.0.1:{{ .StreamPort }};');
    expect(http.trimEnd().endsWith('}')).toBe(true);
    expect(out).toContain('{{ define "SERVER" }}');
  });

  test('fails loudly when an anchor moved (a pin bump must not ship an unpatched template)', () => {
    expect(() => patchTemplate(MINI.replace('pid {{ .PID }};', 'pid /tmp/x.pid;'))).toThrow(/pid/);
    expect(() => patchTemplate(MINI.replace('stream {', 'streams {'))).toThrow(/stream/);
  });
});

describe('commitOf', () => {
  test('takes the 12-digit commit of a pseudo-version', () => {
    expect(commitOf('v0.0.0-20240708192948-52c50467d67d')).toBe('52c50467d67d');
    expect(() => commitOf('v1.11.0')).toThrow(/pseudo-version/);
  });
});
