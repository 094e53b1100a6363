# SPDX-License-Identifier: MIT
"""The seed program, verbatim (resources/examples/python/seed.py): `lifeline trace
--virtual-clock` prints what plain Python prints, and the trace's event log is the seed
scenario's, byte for byte."""

import os
import unittest

from tracertest import LIFELINE, PYTHON, SOURCE_DIR, TempDir, run, untraced

SEED = os.path.join(SOURCE_DIR, "resources", "examples", "python", "seed.py")


@unittest.skipUnless(LIFELINE, "needs LIFELINE_BINARY (ctest sets it)")
class SeedTest(unittest.TestCase):
    def test_seed_program_traces_to_the_seed_scenario(self):
        with TempDir() as d:
            out = os.path.join(d, "seed.lltrace")
            traced = run([LIFELINE, "trace", "--virtual-clock", "--python", PYTHON, "-o", out,
                          SEED])
            plain = untraced(SEED)
            self.assertEqual(traced.returncode, 0, traced.stderr)
            self.assertEqual(traced.stdout, plain.stdout)
            self.assertEqual(traced.stderr, plain.stderr)
            from_trace = run([LIFELINE, "events", out])
            from_scenario = run([LIFELINE, "events", "seed"])
            self.assertEqual(from_trace.returncode, 0, from_trace.stderr)
            self.assertEqual(from_trace.stdout, from_scenario.stdout)

    def test_default_output_is_next_to_the_program(self):
        with TempDir() as d:
            program = os.path.join(d, "copy.py")
            with open(SEED, "rb") as src, open(program, "wb") as dst:
                dst.write(src.read())
            traced = run([LIFELINE, "trace", "--virtual-clock", "--python", PYTHON, program])
            self.assertEqual(traced.returncode, 0, traced.stderr)
            self.assertTrue(os.path.exists(os.path.join(d, "copy.lltrace")))


if __name__ == "__main__":
    unittest.main()
