"""The Python runtime of the local AWS: one warm execution environment of one function.

It imports the handler once (the init phase), then runs one invocation at a time as the
emulator asks, over fd 3, one JSON object per line (see ../protocol.ts). Handler resolution,
error payloads and log format follow aws-lambda-python-runtime-interface-client.
https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
"""

import decimal
import importlib
import json
import logging
import os
import socket
import sys
import threading
import time
import traceback

import lab_endpoint

channel = socket.socket(fileno=3)
incoming = channel.makefile("rb")
send_lock = threading.Lock()
current = {"id": None}


def send(message):
    data = (json.dumps(message) + "\n").encode("utf-8")
    with send_lock:
        channel.sendall(data)


class LogStream:
    """stdout / stderr of the function: everything goes to the emulator, in order."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, fd):
        self.fd = fd

    def write(self, text):
        if text:
            send({"t": "log", "s": text})
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        # Raw writes to the descriptor still reach the emulator, through the process's pipes.
        return self.fd


sys.stdout = LogStream(1)
sys.stderr = LogStream(2)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current["id"] or ""
        return True


def configure_logging():
    """The root logger as AWS sets it up: `[LEVEL]\\t<time>\\t<request id>\\t<message>`."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.formatter.converter = time.gmtime
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]


class Fault(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise Fault("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, e))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise Fault(
                "Runtime.BuiltInModuleConflict",
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise Fault("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(modname, e), trace)
    function = getattr(module, fname, None)
    if function is None:
        raise Fault("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(fname, modname))
    return function


def user_trace(tb):
    """The traceback without the runtime's own frames."""
    frames = traceback.extract_tb(tb)
    while frames and frames[0].filename == __file__:
        frames = frames[1:]
    return traceback.format_list(frames)


def error_payload(error_type, message, trace, request_id):
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id or "", "stackTrace": trace}


def log_error(payload):
    lines = "".join(payload["stackTrace"])
    text = "[ERROR] {}: {}".format(payload["errorType"], payload["errorMessage"])
    if lines:
        text += "\nTraceback (most recent call last):\n" + lines.rstrip("\n")
    sys.stdout.write(text + "\n")


class LambdaContext:
    def __init__(self, message):
        self.aws_request_id = message["id"]
        self.invoked_function_arn = message["arn"]
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.client_context = message.get("clientContext")
        self.identity = None
        self._deadline = message["deadline"]

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))


def to_json(value):
    def default(o):
        if isinstance(o, decimal.Decimal):
            return float(o) if o % 1 else int(o)
        raise TypeError("Object of type {} is not JSON serializable".format(type(o).__name__))

    return json.dumps(value, default=default)


def invoke(handler, message):
    request_id = message["id"]
    current["id"] = request_id
    os.environ["_X_AMZN_TRACE_ID"] = message.get("traceId", "")
    try:
        result = handler(json.loads(message["event"]), LambdaContext(message))
    except Exception as e:
        payload = error_payload(type(e).__name__, str(e), user_trace(sys.exc_info()[2]), request_id)
        log_error(payload)
        return send({"t": "error", "id": request_id, "error": payload})
    try:
        body = to_json(result)
    except (TypeError, ValueError) as e:
        payload = error_payload("Runtime.MarshalError", "Unable to marshal response: {}".format(e), [], request_id)
        log_error(payload)
        return send({"t": "error", "id": request_id, "error": payload})
    send({"t": "result", "id": request_id, "payload": body})


def main():
    configure_logging()
    lab_endpoint.install()
    sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", os.getcwd()))
    try:
        handler = load_handler(os.environ.get("_HANDLER", ""))
    except Fault as fault:
        payload = error_payload(fault.error_type, fault.message, fault.trace, None)
        log_error(payload)
        send({"t": "init-error", "error": payload})
        handler = None
    except Exception as e:
        payload = error_payload(type(e).__name__, str(e), user_trace(sys.exc_info()[2]), None)
        log_error(payload)
        send({"t": "init-error", "error": payload})
        handler = None
    else:
        send({"t": "ready", "pid": os.getpid()})
    for line in incoming:
        message = json.loads(line)
        if message.get("t") == "invoke" and handler is not None:
            invoke(handler, message)
    # The emulator went away: so do we.
    os._exit(0)


if __name__ == "__main__":
    main()
