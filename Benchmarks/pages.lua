-- wrk: every request asks for the next of the pages a coordinator or analyst opens, in turn.
local paths = {}
for path in string.gmatch(os.getenv("OPORA_PAGES") or "/", "[^ ]+") do table.insert(paths, path) end
local index = 0
request = function()
  index = index % #paths + 1
  return wrk.format("GET", paths[index], { ["Cookie"] = os.getenv("OPORA_COOKIE") })
end
