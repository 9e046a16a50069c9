-- netrepro shim for `resty.lock` (not packaged by Debian): a lock held as a
-- key in a lua_shared_dict, with the interface the controller's ewma balancer
-- uses: new(dict, opts{timeout, exptime, step, ratio, max_step}), lock(key)
-- -> elapsed | nil, err; unlock() -> 1 | nil, err.
local setmetatable, min = setmetatable, math.min

local _M = { _VERSION = "netrepro-1" }
local mt = { __index = _M }

function _M.new(_, dict_name, opts)
  local dict = ngx.shared[dict_name]
  if not dict then
    return nil, "dictionary not found"
  end
  opts = opts or {}
  return setmetatable({
    dict = dict,
    exptime = opts.exptime or 30,
    timeout = opts.timeout or 5,
    step = opts.step or 0.001,
    ratio = opts.ratio or 2,
    max_step = opts.max_step or 0.5,
  }, mt)
end

function _M.lock(self, key)
  if self.key then
    return nil, "locked"
  end
  local ok, err = self.dict:add(key, true, self.exptime)
  if ok then
    self.key = key
    return 0
  end
  if err ~= "exists" then
    return nil, err
  end
  local waited, step = 0, self.step
  while waited < self.timeout do
    local pause = min(step, self.timeout - waited)
    ngx.sleep(pause)
    waited = waited + pause
    ok, err = self.dict:add(key, true, self.exptime)
    if ok then
      self.key = key
      return waited
    end
    if err ~= "exists" then
      return nil, err
    end
    step = min(step * self.ratio, self.max_step)
  end
  return nil, "timeout"
end

function _M.unlock(self)
  local key = self.key
  if not key then
    return nil, "unlocked"
  end
  self.key = nil
  local ok, err = self.dict:delete(key)
  if not ok then
    return nil, err
  end
  return 1
end

function _M.expire(self, time)
  if not self.key then
    return nil, "unlocked"
  end
  local ok, err = self.dict:set(self.key, true, time or self.exptime)
  if not ok then
    return nil, err
  end
  return true
end

return _M
