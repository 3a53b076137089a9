"""Running the warehouse under uvicorn (h11, one process, one event loop)."""

from __future__ import annotations

import argparse
import logging
from datetime import timedelta

import uvicorn

from warehouse.app import WarehouseApp
from warehouse.chaos import Chaos, ChaosSettings
from warehouse.index import Index


def serve(args: argparse.Namespace) -> int:
    index = Index(args.data, upload_lifetime=timedelta(hours=args.upload_hours))
    app = WarehouseApp(index, bench_sink=args.bench_sink)
    asgi: WarehouseApp | Chaos = app
    if args.chaos is not None:
        asgi = Chaos(app, ChaosSettings(seed=args.chaos, rate=args.chaos_rate,
                                        stall_seconds=args.chaos_stall))
        logging.getLogger("uvicorn.error").info("chaos seed %s", args.chaos)
    config = uvicorn.Config(
        asgi, host=args.host, port=args.port, http="h11", lifespan="off",
        log_level="warning", access_log=False, timeout_keep_alive=30,
        ssl_certfile=args.certfile, ssl_keyfile=args.keyfile)
    try:
        uvicorn.Server(config).run()
    finally:
        index.close()
    return 0
