"""First meaningful text on a slow rural link, as a phone on 400 kbit/s with 400 ms latency sees it.

Why: a commune-level citizen on a weak network waits for bytes, not for CPU. This drives Debian's
chromium through Playwright, throttles the network with the DevTools protocol
(`Network.emulateNetworkConditions`), opens a page with an empty cache and reports
- the time until the page's first heading is visible (first meaningful text),
- with `--ready SELECTOR`, the time until that element is visible too (the page's content from the server:
  `#step-title` is the apply form's first step, `#apply-sign-in` the sign-in prompt a visitor gets),
- the bytes transferred on the wire (encoded, i.e. after compression) and the request count.

`--sign-in PHONE` signs a demo account in first, at full speed, in the same browser context (as
tests/e2e/citizen_helpers.sign_in_as does); the measured visit then starts with the cookie and an empty cache.

    python bench/slow_link.py --url http://127.0.0.1:8300 --path / --path /procedures --path /apply/1.001193
    python bench/slow_link.py --url http://127.0.0.1:8340 --path /apply/1.001193 --ready '#apply-sign-in'
    python bench/slow_link.py --url http://127.0.0.1:8340 --path /apply/1.001193 --sign-in 0901000001 \
        --ready '#step-title'
"""

from __future__ import annotations

import argparse
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def sign_in(page, base: str, phone: str, password: str) -> None:
    """Sign in through the login page at full speed (before the link is throttled)."""
    page.goto(base + "/login", timeout=120_000)
    page.locator("#login").fill(phone)
    page.locator("#password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda u: "/login" not in u, timeout=120_000)


def measure(
    page, cdp, url: str, selector: str, kbit: int, latency_ms: int, ready: str = ""
) -> tuple[float, int, int, float]:
    sizes: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": kbit * 1000 / 8,
            "uploadThroughput": kbit * 1000 / 8,
        },
    )
    started = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=120_000)
    page.locator(selector).first.wait_for(state="visible", timeout=120_000)
    first_text = time.perf_counter() - started
    if ready:
        page.locator(ready).first.wait_for(state="visible", timeout=120_000)
    ready_at = time.perf_counter() - started if ready else 0.0
    page.wait_for_load_state("networkidle", timeout=120_000)
    return first_text, sum(sizes.values()), len(sizes), ready_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8300")
    parser.add_argument("--path", action="append", default=None)
    parser.add_argument("--selector", default="h1, h2")
    parser.add_argument("--kbit", type=int, default=400)
    parser.add_argument("--latency", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ready", default="", help="also time until this selector is visible")
    parser.add_argument("--sign-in", default="", help="phone of a demo account to sign in first")
    parser.add_argument("--password", default="Demo@2026")
    args = parser.parse_args()
    paths = args.path or ["/", "/procedures"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        who = f"signed in as {args.sign_in}" if args.sign_in else "anonymous"
        print(f"link: {args.kbit} kbit/s, {args.latency} ms latency; empty cache; {who}; {args.runs} runs each")
        for path in paths:
            results = []
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
                page = context.new_page()
                if args.sign_in:
                    sign_in(page, args.url, args.sign_in, args.password)
                cdp = context.new_cdp_session(page)
                results.append(measure(page, cdp, args.url + path, args.selector, args.kbit, args.latency, args.ready))
                context.close()
            times = sorted(r[0] for r in results)
            kib = results[-1][1] / 1024
            readies = sorted(r[3] for r in results)
            ready = (
                f" · {args.ready} median {readies[len(readies) // 2]:.1f} s (min {readies[0]:.1f}, max {readies[-1]:.1f})"
                if args.ready
                else ""
            )
            print(
                f"{path:28s} first text median {times[len(times) // 2]:.1f} s (min {times[0]:.1f}, "
                f"max {times[-1]:.1f}){ready} · {kib:.0f} KiB on the wire · {results[-1][2]} requests"
            )
        browser.close()


if __name__ == "__main__":
    main()
