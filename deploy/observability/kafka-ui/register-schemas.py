"""Registers every event's JSON Schema (contracts/events/<Topic>.schema.json) in the schema registry as the subject
<Topic>-value, so Kafka UI shows each topic's schema beside its messages (SupplierProductsChanged, the second kind of
event on SupplierProductChanged, gets a subject of its own that no topic names: read it there). Registering the same schema again is a
no-op, so this runs in a loop: a registry that restarted with empty memory has them back within a minute.

Environment: REGISTRY_URL (the Confluent-compatible API, e.g. http://schema-registry:8080/apis/ccompat/v7),
SCHEMAS (the folder of *.schema.json), EVERY (seconds between rounds; 0 = once)."""
import glob, json, os, sys, time, urllib.request

registry = os.environ.get("REGISTRY_URL", "http://localhost:8081/apis/ccompat/v7").rstrip("/")
folder = os.environ.get("SCHEMAS", "/schemas")
every = int(os.environ.get("EVERY", "60"))


def register_all():
    done = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.schema.json"))):
        topic = os.path.basename(path)[: -len(".schema.json")]
        with open(path, encoding="utf-8") as f:
            body = json.dumps({"schemaType": "JSON", "schema": f.read()}).encode("utf-8")
        request = urllib.request.Request(f"{registry}/subjects/{topic}-value/versions", data=body, method="POST",
                                         headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
        done += 1
    return done


while True:
    try:
        print(f"registered {register_all()} event schemas at {registry}", flush=True)
    except Exception as e:  # the registry is not up yet, or restarting: try again next round
        print(f"registering schemas failed: {e}", file=sys.stderr, flush=True)
        if every == 0:
            sys.exit(1)
    if every == 0:
        break
    time.sleep(every)
