# Times one page for a signed-in user: the server's processor time and the wall time per request, over 20 requests
# after a first one (Python's standard library). Usage: page_time.py BASE LOGIN PASSWORD SERVER_PID PATH
import urllib.request, urllib.parse, http.cookiejar, re, time, sys, os
base, login, pw, pid, path = sys.argv[1:6]; n = 20
cj = http.cookiejar.CookieJar(); op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cj))
html = op.open(base + "/login").read().decode()
csrf = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
op.open(base + "/login", urllib.parse.urlencode({"login": login, "password": pw, "_csrf": csrf}).encode())
op.open(base + path).read()
def cpu():
    f = open(f"/proc/{pid}/stat").read().split(")")[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf('SC_CLK_TCK')
c0 = cpu(); t0 = time.perf_counter()
for _ in range(n): op.open(base + path).read()
print(path, "server CPU per page %.0f ms, wall per page %.0f ms" % ((cpu() - c0) / n, (time.perf_counter() - t0) * 1000 / n))
