-- netrepro stub for `resty.global_throttle` (not packaged by Debian). The
-- controller's global_throttle.lua calls it only when a memcached host is
-- configured (global-rate-limit-* settings); it then logs this error and
-- lets the request through ("fail open").
local _M = { _VERSION = "netrepro-stub" }

function _M.new()
  return nil, "resty.global_throttle is not available in the netrepro ingress-nginx image"
end

return _M
