#!/usr/bin/env bash
# Memory and time of hostile uploads against the limits of "Bounded uploads" (bench/README.md):
# a header then one line of 20 Mi commas (line.csv), and a 2.6 MB workbook whose one sheet
# inflates to 1 GiB (bomb.xlsx). First each file through `pdh ingest` (peak resident set from
# /usr/bin/time), then six of them at once to one `pdh serve` (its peak resident set, VmHWM).
# Usage: bench/uploads.sh [PDH]   (default build/pdh; a demo database is made in a temp dir)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pdh=$(realpath "${1:-$root/build/pdh}")
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"

python3 - <<'EOF'
import zipfile
with open('line.csv', 'w') as f:
    f.write('dossier_id,receiving_unit,procedure_code,received_at,channel,status\n')
    f.write(',' * (20 << 20) + '\n')
row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
parts = {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
with zipfile.ZipFile('bomb.xlsx', 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name, text in parts.items():
        z.writestr(name, text)
    with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
        f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        block = (row * 4096).encode()
        for _ in range((1 << 30) // len(block)):
            f.write(block)
        f.write(b'</sheetData></worksheet>')
EOF
ls -l line.csv bomb.xlsx | awk '{ printf "%s: %d bytes\n", $9, $5 }'

"$pdh" demo --db demo.db --json > demo.json
for f in line.csv bomb.xlsx; do
  cp demo.db copy.db && cp demo.db.audit-key copy.db.audit-key
  printf '%-10s pdh ingest: ' "$f"
  /usr/bin/time -f '%M KiB peak, %e s' "$pdh" ingest dossiers "$f" --db copy.db --json \
    > out.json 2> time.txt || true
  printf '%s; %s\n' "$(tail -1 time.txt)" "$(grep -o '\[[a-z_]*\.[a-z_.]*\]' time.txt | head -1)"
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token=$("$pdh" tokens create --user "$(python3 -c 'import json; print(json.load(open("demo.json"))["admin"]["name"])')" --db demo.db | tail -1)
"$pdh" serve --db demo.db --listen "127.0.0.1:$port" > serve.log 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.2; done
echo "pdh serve ready: $(grep VmHWM /proc/$server/status | awk '{print $2}') KiB peak"
for f in line.csv line.csv line.csv bomb.xlsx bomb.xlsx bomb.xlsx; do
  type=text/csv
  [ "$f" = bomb.xlsx ] && type=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
  curl -s -o /dev/null -w "$f %{http_code} %{time_total} s\n" -H "Authorization: Bearer $token" \
    -H "Content-Type: $type" --data-binary "@$f" \
    "http://127.0.0.1:$port/api/v1/datasets/dossiers/batches?file_name=$f" &
done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
echo "pdh serve after six hostile uploads at once: $(grep VmHWM /proc/$server/status | awk '{print $2}') KiB peak"
