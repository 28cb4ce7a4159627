"""Configuration for every test and doctest: results are checked as they are built."""

from __future__ import annotations

import channelkit.model

channelkit.model.CHECK_RESULTS = True
