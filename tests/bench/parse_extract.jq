# parse_extract.jq - bench-parse's jq competitor: the rows of
# "jetsam parse -f jsonl --killed-only DIR" for complete bug_type 298
# reports, the same work as parse_extract.py.
#
#   jq -n -c --slurpfile models MODELS.json -f parse_extract.jq FILE...
#
# MODELS.json is {"product": [ram_bytes, page_size], ...} from
# data/devices.csv.  Files come in path order; each is a header document
# and a body document.

def count: if type == "number" and . >= 0 and . == floor then . else -1 end;
def fits($pages; $page; $ram): ($pages * $page / $ram) as $r
  | $r >= 0.75 and $r <= 1.15;
# "%.2f"
def f2: (. * 100 | round) as $c
  | "\($c / 100 | floor).\($c % 100 | tostring
     | if length < 2 then "0" + . else . end)";
def gib: . / 1073741824;
def bytes($page): if . < 0 or $page <= 0 then null else . * $page end;
def is_page: . as $v | any(4096, 8192, 16384, 32768, 65536; . == $v);

# page($b; $models) - {page, warning, implausible, ram} as check.c decides
def page($b; $models):
  ($b.product) as $product
  | ($models[0][$product // ""]) as $m
  | ($b.memoryStatus // {}) as $ms
  | ($ms.memoryPages // {}) as $mp
  | ([$mp.active, $mp.inactive, $mp.free, $mp.wired] | map(count)) as $need
  | (($need | all(. >= 0))) as $have
  | (($need | map(select(. >= 0)) | add)
     + ([$mp.speculative, $mp.throttled, $ms.compressorSize]
        | map(count | select(. > 0)) | add // 0)) as $pages
  | ($ms | has("pageSize")) as $given
  | ($ms.pageSize | count) as $s0
  | (if $given and ($s0 | is_page | not)
     then "pageSize \($ms.pageSize | tojson) is not a page size (a power of two from 4096 to 65536)"
     else null end) as $bad
  | (if $bad then -1 else $s0 end) as $stated
  | ($bad // "no pageSize") as $lead
  | if $m == null then
      (if $product == null then "no product in the report" else "unknown model" end) as $why
      | (if $product then " " + $product else "" end) as $name
      | if $stated > 0 then {page: $stated, warning: "\($why)\($name): pageSize \($stated) taken from the report without the RAM check"}
        elif ($b.kernel // "" | contains("RELEASE_ARM_")) then {page: 4096, warning: "\($why)\($name) and \($lead): 4096 because the kernel is 32-bit ARM"}
        else {page: -1, warning: "\($why)\($name) and \($lead): page size unknown, sizes left out"} end
      | . + {ram: -1}
    else
      ($m[0]) as $ram
      | if ($have | not) then
          if $stated > 0 then {page: $stated, warning: "memory counts incomplete: pageSize \($stated) not checked against the RAM of \($product)"}
          else {page: $m[1], warning: "\($lead) and no memory counts: \($m[1]) from the device table for \($product)"} end
        elif $stated > 0 and fits($pages; $stated; $ram) then {page: $stated, warning: null}
        else
          ([4096, 16384] | map(select(fits($pages; .; $ram)))
           | sort_by(($pages * . / $ram - 1) | fabs) | .[0]) as $best
          | if $best and $stated > 0 then {page: $best, warning: "pageSize \($stated) disagrees with RAM: the memory counts x \($stated) = \($pages * $stated | gib | f2) GiB but \($product) has \($ram | gib | f2) GiB; using \($best) (\($pages * $best | gib | f2) GiB)"}
            elif $best then {page: $best, warning: "\($lead): the memory counts fit \($best)-byte pages (\($pages * $best | gib | f2) GiB of \($ram | gib | f2) GiB RAM in \($product))"}
            else (if $stated > 0 then $stated else $m[1] end) as $p
              | {page: $p, warning: "the memory counts (\($pages) pages) do not fit the \($ram | gib | f2) GiB RAM of \($product) under any page size; using \($p)"} end
        end
      | . + {ram: $ram}
    end
  | . + {implausible: $bad};

def implausible($b; $pg):
  if $pg.implausible or $pg.ram <= 0 or $pg.page <= 0 then $pg.implausible
  else first(($b.processes // [])[] as $p
        | (["rpages", ($p.rpages | count)], ["lifetimeMax", ($p.lifetimeMax | count)])
        | select(.[1] >= 0 and .[1] * $pg.page > $pg.ram)
        | "\(.[0]) \(.[1]) of '\($p.name // "?")' (pid \($p.pid | count)) x \($pg.page) = \(.[1] * $pg.page | gib | f2) GiB is more than the \($pg.ram | gib | f2) GiB RAM of \($b.product)")
       // null
  end;

def class: .reason as $r | (.states // []) as $s
  | if $r == "per-process-limit" then
      (if ($s | index("frontmost")) then "frontmost-limit"
       elif ($s | index("daemon")) then "daemon-limit"
       else "background-limit" end)
    elif ([$r] | inside(["vm-pageshortage", "vm-thrashing", "proc-thrashing",
      "fc-thrashing", "vm-compressor-thrashing",
      "vm-compressor-space-shortage", "zone-map-exhaustion", "low-swap",
      "sustained-memory-pressure", "vm-pageout-starvation", "highwater"]))
    then "pressure" else "other" end;

foreach inputs as $d ({h: null, b: null, seen: {}};
  if ($d | has("processes")) then
    ((.h.incident_id // $d.incident) as $id
     | if $id != null and .seen[$id] then .b = null
       else .b = $d | .seen[$id // ""] = ($id != null) end)
  else .h = $d | .b = null end;
  select(.b != null)
  | .h as $h | .b as $b
  | page($b; $models) as $pg
  | {source: input_filename, incident_id: ($h.incident_id // $b.incident),
     date: ($b.date // $h.timestamp), product: $b.product,
     os_version: ($h.os_version // $b.build), format: "json",
     partial: false,
     page_size_bytes: (if $pg.page > 0 then $pg.page else null end),
     page_size_warning: $pg.warning,
     implausible: implausible($b; $pg)} as $base
  | $b.processes[]
  | select(has("reason") or has("killDelta") or has("genCount"))
  | (.rpages | count) as $rp
  | $base + {pid, name, states: ((.states // []) | join(",")), reason,
      kill_class: class, rpages: (if $rp >= 0 then $rp else null end),
      footprint_bytes: ($rp | bytes($pg.page)),
      lifetime_max_bytes: (.lifetimeMax | count | bytes($pg.page))})
