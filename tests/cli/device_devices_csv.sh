# jetsam devices -f csv: a trusted phone and one waiting for Trust, both
# listed, joined with the model table
. tests/fakedevice/lib.sh
fake_start two-devices.conf
jetsam devices -f csv 2>/dev/null
