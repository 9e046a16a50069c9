-- netrepro stub for `resty.http` (lua-resty-http is not packaged by Debian).
-- The controller's certificate.lua uses it only to fetch OCSP responses
-- (ConfigMap `enable-ocsp`, off by default): that feature fails here.
local _M = { _VERSION = "netrepro-stub" }

function _M.new()
  return nil, "resty.http is not available in the netrepro ingress-nginx image (OCSP stapling unsupported)"
end

return _M
