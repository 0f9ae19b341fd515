-- Run by test/helpers/tshark-selections.ts as `tshark -n -q -r FILE -X lua_script:THIS
-- -X lua_script1:FILTERS`: one tap listener per display filter of the FILTERS file (one per
-- line), each the filter tshark's -Y would apply, so one read of the capture answers all of
-- them. Prints, once tshark has read the file, one line per filter: its number (1-based), a
-- tab, and the frame numbers it selected joined by commas, or "!" and tshark's message when the
-- filter does not compile.
local filters_path = ...
local filters, hits = {}, {}
for line in io.lines(filters_path) do filters[#filters + 1] = line end

local errors = {}
for i, text in ipairs(filters) do
  hits[i] = {}
  local ok, listener = pcall(Listener.new, nil, text)
  if ok then
    local h = hits[i]
    function listener.packet(pinfo) h[#h + 1] = pinfo.number end
  else
    errors[i] = tostring(listener):gsub("[\r\n]", " ")
  end
end

-- draw() runs once, after the last packet.
local printer = Listener.new(nil)
function printer.draw()
  for i = 1, #filters do
    if errors[i] then io.write(i, "\t!", errors[i], "\n")
    else io.write(i, "\t", table.concat(hits[i], ","), "\n") end
  end
  io.flush()
end
