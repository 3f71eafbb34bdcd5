"""Points boto3 inside a function at the local AWS.

botocore learned to read AWS_ENDPOINT_URL in 1.31; Debian's python3-boto3 ships 1.29, which
ignores it and would send the function's requests to the real AWS. So every botocore client
created without an explicit endpoint gets the one the environment names
(AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL), and S3 clients default to path-style
addressing, since `<bucket>.localhost` does not resolve. Signing stays botocore's own (SigV4
with the function's role-session credentials from the environment).
"""

import inspect
import os


def endpoint_for(service_name):
    specific = "AWS_ENDPOINT_URL_" + service_name.upper().replace("-", "_").replace(" ", "_")
    return os.environ.get(specific) or os.environ.get("AWS_ENDPOINT_URL")


def install():
    if not os.environ.get("AWS_ENDPOINT_URL"):
        return
    try:
        import botocore.session
        from botocore.config import Config
    except ImportError:
        return
    original = botocore.session.Session.create_client
    if getattr(original, "_lab_endpoint", False):
        return
    signature = inspect.signature(original)

    def create_client(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        arguments = bound.arguments
        service_name = arguments.get("service_name", "")
        if arguments.get("endpoint_url") is None:
            endpoint = endpoint_for(service_name)
            if endpoint:
                arguments["endpoint_url"] = endpoint
        if service_name == "s3":
            config = arguments.get("config")
            s3 = dict((config.s3 if config is not None else None) or {})
            if "addressing_style" not in s3:
                s3["addressing_style"] = "path"
                path_style = Config(s3=s3)
                arguments["config"] = config.merge(path_style) if config is not None else path_style
        return original(*bound.args, **bound.kwargs)

    create_client._lab_endpoint = True
    botocore.session.Session.create_client = create_client
