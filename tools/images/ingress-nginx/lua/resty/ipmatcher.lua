-- netrepro stub for `resty.ipmatcher` (not packaged by Debian). Used only by
-- the global rate limit's ignored CIDRs, which is unsupported here too.
local _M = { _VERSION = "netrepro-stub" }

function _M.new()
  return nil, "resty.ipmatcher is not available in the netrepro ingress-nginx image"
end

return _M
