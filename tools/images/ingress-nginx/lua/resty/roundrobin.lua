-- netrepro shim for `resty.roundrobin` (lua-resty-balancer is not packaged by
-- Debian). Our own smooth weighted round robin, with the part of the interface
-- the controller's balancer/round_robin.lua and balancer/resty.lua use:
-- new(nodes), find(), next(), reinit(nodes) and the `nodes` field, where
-- nodes maps "ip:port" to a weight. Unlike upstream it starts every worker at
-- the same node (upstream starts at a random one).
local setmetatable, pairs, tonumber, sort = setmetatable, pairs, tonumber, table.sort

local _M = { _VERSION = "netrepro-1" }
local mt = { __index = _M }

local function load(self, nodes)
  local copy, ids = {}, {}
  for id, weight in pairs(nodes or {}) do
    copy[id] = weight
    ids[#ids + 1] = id
  end
  sort(ids)
  self.nodes = copy
  self.ids, self.weights, self.current, self.total = {}, {}, {}, 0
  for _, id in ipairs(ids) do
    local weight = tonumber(copy[id]) or 0
    if weight > 0 then
      local n = #self.ids + 1
      self.ids[n], self.weights[n], self.current[n] = id, weight, 0
      self.total = self.total + weight
    end
  end
end

function _M.new(_, nodes)
  local self = setmetatable({}, mt)
  load(self, nodes)
  return self
end

function _M.reinit(self, nodes)
  load(self, nodes)
end

-- Each pick adds every node's weight to its counter, takes the largest and
-- lowers it by the total: over `total` picks each node is chosen `weight` times.
function _M.find(self)
  local best, best_current
  for i = 1, #self.ids do
    local current = self.current[i] + self.weights[i]
    self.current[i] = current
    if best == nil or current > best_current then
      best, best_current = i, current
    end
  end
  if best == nil then
    return nil
  end
  self.current[best] = best_current - self.total
  return self.ids[best]
end

_M.next = _M.find

return _M
