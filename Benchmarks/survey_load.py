#!/usr/bin/env python3
"""Respondents on the public survey form, as phones would be: each one loads `/s/<token>`, fills in the form it was
given (whatever its questions: radio, checkbox, scale, number, text) and posts it. Standard library only.

    survey_load.py BASE_URL LINKS_FILE [--respondents 1000] [--seconds 60] [--workers 64] [--success Спасибо]

LINKS_FILE holds one link token (or `/s/<token>` or a whole link) per line; respondents are spread over the links
in turn and start evenly over SECONDS (an open arrival rate, not a closed loop: a slow server gets no pause).
Each respondent comes from its own address, told to the server as the proxy on its machine does (`X-Real-IP`),
so the per-address rate limit sees a thousand phones rather than one. Prints the figures; `--check` exits 1
unless there were no errors and the 99th percentile is under --p99-ms.
"""
import argparse
import html.parser
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse


class FormReader(html.parser.HTMLParser):
    """The first POST form of a page: its action and fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.action = None
        self.inside = False
        self.done = False
        self.inputs = []          # dicts of attributes
        self.textareas = []       # names
        self.selects = {}         # name -> [values]
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and not self.done and a.get("method", "get").lower() == "post":
            self.inside, self.action = True, a.get("action", "")
        elif not self.inside:
            return
        elif tag == "input":
            self.inputs.append(a)
        elif tag == "textarea" and a.get("name"):
            self.textareas.append(a)
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.selects[self.select] = []
        elif tag == "option" and self.select is not None and a.get("value"):
            self.selects[self.select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self.select = None


def answers(form, rng):
    """Fields to post: hidden ones as given, one answer per radio group and select, some boxes ticked, numbers in
    range, a short text now and then (always when required)."""
    fields = []
    radios, boxes = {}, {}
    for a in form.inputs:
        kind, name = a.get("type", "text").lower(), a.get("name")
        if not name:
            continue
        if kind == "hidden":
            fields.append((name, a.get("value", "")))
        elif kind == "radio":
            radios.setdefault(name, []).append(a.get("value", ""))
        elif kind == "checkbox":
            boxes.setdefault(name, []).append(a.get("value", "on"))
        elif kind in ("number", "range"):
            low = float(a.get("min") or 0)
            high = float(a.get("max") or (low + 10))
            fields.append((name, str(int(rng.uniform(low, high)))))
        elif kind in ("text", "search", ""):
            if "required" in a or rng.random() < 0.3:
                fields.append((name, "Всё устраивает"))
    for name, values in radios.items():
        fields.append((name, rng.choice(values)))
    for name, values in boxes.items():
        for value in rng.sample(values, k=min(len(values), rng.randint(1, 2))):
            fields.append((name, value))
    for name, values in form.selects.items():
        if values:
            fields.append((name, rng.choice(values)))
    for a in form.textareas:
        if "required" in a or rng.random() < 0.3:
            fields.append((a["name"], "Хотелось бы больше кружков после уроков."))
    return fields


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("links")
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--success", default="Спасибо")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--p99-ms", type=float, default=300)
    parser.add_argument("--json", help="write the figures here too")
    options = parser.parse_args()

    base = urllib.parse.urlsplit(options.base)
    tokens = []
    for line in open(options.links, encoding="utf-8"):
        line = line.strip()
        if line:
            tokens.append(line.rstrip("/").split("/")[-1])
    if not tokens:
        sys.exit("no link tokens in " + options.links)

    lock = threading.Lock()
    get_ms, post_ms, thanks_ms, errors, late = [], [], [], [], [0]
    next_index = [0]
    started = time.perf_counter()
    interval = options.seconds / options.respondents

    def respondent(index):
        rng = random.Random(index)
        token = tokens[index % len(tokens)]
        address = "10.%d.%d.%d" % (index // 62500 % 250, index // 250 % 250, index % 250 + 1)
        headers = {"X-Real-IP": address, "User-Agent": "survey-load/1 (respondent %d)" % index,
                   "Accept": "text/html"}
        connection = http.client.HTTPConnection(base.hostname, base.port or 80, timeout=30)
        try:
            t0 = time.perf_counter()
            connection.request("GET", "/s/" + token, headers=headers)
            response = connection.getresponse()
            page = response.read().decode("utf-8", "replace")
            t1 = time.perf_counter()
            with lock:
                get_ms.append((t1 - t0) * 1000)
            if response.status != 200:
                raise RuntimeError("GET /s/… answered %d" % response.status)
            form = FormReader()
            form.feed(page)
            if form.action is None:
                raise RuntimeError("GET /s/… has no form: " + page[:200].replace("\n", " "))
            body = urllib.parse.urlencode(answers(form, rng), doseq=True)
            post_headers = dict(headers)
            post_headers["Content-Type"] = "application/x-www-form-urlencoded"
            action = form.action or "/s/" + token
            t2 = time.perf_counter()
            connection.request("POST", action, body=body.encode("utf-8"), headers=post_headers)
            response = connection.getresponse()
            result = response.read().decode("utf-8", "replace")
            t3 = time.perf_counter()
            with lock:
                post_ms.append((t3 - t2) * 1000)
            if response.status in (301, 302, 303):
                location = response.getheader("Location") or ""
                t4 = time.perf_counter()
                connection.request("GET", location, headers=headers)
                response = connection.getresponse()
                result = response.read().decode("utf-8", "replace")
                with lock:
                    thanks_ms.append((time.perf_counter() - t4) * 1000)
            if response.status != 200 or options.success not in result:
                raise RuntimeError("POST answered %d without «%s»: %s" % (
                    response.status, options.success, result[:300].replace("\n", " ")))
        except Exception as error:  # noqa: BLE001 — every failure is a figure
            with lock:
                errors.append(str(error))
        finally:
            connection.close()

    def worker():
        while True:
            with lock:
                index = next_index[0]
                next_index[0] += 1
            if index >= options.respondents:
                return
            due = started + index * interval
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            elif wait < -0.05:
                with lock:
                    late[0] += 1
            respondent(index)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(options.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    every = get_ms + post_ms + thanks_ms
    figures = {
        "respondents": options.respondents, "links": len(tokens), "seconds": round(elapsed, 1),
        "errors": len(errors), "started_late": late[0],
        "get_p50_ms": percentile(get_ms, .5), "get_p99_ms": percentile(get_ms, .99),
        "post_p50_ms": percentile(post_ms, .5), "post_p99_ms": percentile(post_ms, .99),
        "p50_ms": percentile(every, .5), "p95_ms": percentile(every, .95), "p99_ms": percentile(every, .99),
        "max_ms": max(every) if every else float("nan"),
    }
    print("respondents: %d over %d links in %.1f s (%.1f a second), errors: %d, started late (>50 ms): %d" % (
        options.respondents, len(tokens), elapsed, options.respondents / elapsed, len(errors), late[0]))
    print("  form (GET)     p50 %6.1f ms   p99 %6.1f ms" % (figures["get_p50_ms"], figures["get_p99_ms"]))
    print("  answer (POST)  p50 %6.1f ms   p99 %6.1f ms" % (figures["post_p50_ms"], figures["post_p99_ms"]))
    if thanks_ms:
        print("  thanks (GET after the redirect) p50 %.1f ms   p99 %.1f ms" % (
            percentile(thanks_ms, .5), percentile(thanks_ms, .99)))
    print("  every request  p50 %6.1f ms   p95 %6.1f ms   p99 %6.1f ms   max %6.1f ms" % (
        figures["p50_ms"], figures["p95_ms"], figures["p99_ms"], figures["max_ms"]))
    for message in sorted(set(errors))[:5]:
        print("  error: " + message)
    if options.json:
        with open(options.json, "w", encoding="utf-8") as out:
            json.dump(figures, out, ensure_ascii=False, indent=1)
    if options.check and (errors or not figures["p99_ms"] < options.p99_ms):
        print("FAIL: %d errors, p99 %.1f ms (limit %.0f ms)" % (len(errors), figures["p99_ms"], options.p99_ms))
        sys.exit(1)


if __name__ == "__main__":
    main()
