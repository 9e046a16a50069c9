-- netrepro shim for `resty.chash` (lua-resty-balancer's C library is not
-- packaged by Debian). Our own pure-Lua consistent hash ring with the
-- interface the controller's chash, chashsubset and sticky_balanced balancers
-- use: new(nodes), find(key) -> id, index; next(index) -> id, index;
-- reinit(nodes) and the `nodes` field. Points per node scale with its weight;
-- positions come from MD5, so they differ from upstream's ring: the same
-- key may map to another endpoint than with the upstream image.
local setmetatable, pairs, tonumber, tostring, sort, floor = setmetatable, pairs, tonumber, tostring, table.sort, math.floor
local md5, sub = ngx.md5, string.sub

-- 32 bits of MD5: spreads "id#1", "id#2", … far more evenly than CRC32 does.
local function hash32(s)
  return tonumber(sub(md5(s), 1, 8), 16)
end

local POINTS_PER_WEIGHT = 160

local _M = { _VERSION = "netrepro-1" }
local mt = { __index = _M }

local function load(self, nodes)
  local copy, ring = {}, {}
  for id, weight in pairs(nodes or {}) do
    copy[id] = weight
    local points = floor((tonumber(weight) or 0) * POINTS_PER_WEIGHT)
    for i = 1, points do
      ring[#ring + 1] = { hash = hash32(tostring(id) .. "#" .. i), id = id }
    end
  end
  sort(ring, function(a, b)
    if a.hash == b.hash then
      return tostring(a.id) < tostring(b.id)
    end
    return a.hash < b.hash
  end)
  self.nodes, self.ring = copy, ring
end

function _M.new(_, nodes)
  local self = setmetatable({}, mt)
  load(self, nodes)
  return self
end

function _M.reinit(self, nodes)
  load(self, nodes)
end

-- First point at or after the key's hash, wrapping to the first point.
function _M.find(self, key)
  local ring = self.ring
  local n = #ring
  if n == 0 then
    return nil
  end
  local hash = hash32(tostring(key))
  local lo, hi = 1, n
  while lo < hi do
    local mid = floor((lo + hi) / 2)
    if ring[mid].hash < hash then
      lo = mid + 1
    else
      hi = mid
    end
  end
  if ring[lo].hash < hash then
    lo = 1
  end
  return ring[lo].id, lo
end

function _M.next(self, index)
  local n = #self.ring
  if n == 0 then
    return nil
  end
  local i = (index or 0) % n + 1
  return self.ring[i].id, i
end

return _M
