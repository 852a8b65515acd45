#!/usr/bin/env python3
"""A client as the mTLS guides write it with Python requests:
requests.get(url, cert=(crt, key), verify=ca).  Prints the status and
the body.  usage: requests_client.py URL CA [CERT KEY] [NAME=VALUE...]
(headers to send)."""
import sys

import requests

url, ca = sys.argv[1], sys.argv[2]
rest = sys.argv[3:]
cert = None
if len(rest) >= 2 and "=" not in rest[0]:
    cert, rest = (rest[0], rest[1]), rest[2:]
headers = dict(arg.split("=", 1) for arg in rest)
response = requests.get(url, cert=cert, verify=ca, headers=headers,
                        timeout=20)
print(response.status_code)
print(response.text, end="")
