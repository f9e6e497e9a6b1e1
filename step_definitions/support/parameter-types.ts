import { defineParameterType } from "@cucumber/cucumber";
import { topology } from "./lab";

// "5 seconds", "500 ms", "1.5 s", "200ms", "2 minutes" → milliseconds.
defineParameterType({
  name: "duration",
  regexp: /\d+(?:\.\d+)?\s?(?:ms|milliseconds?|millis|s|secs?|seconds?|m|mins?|minutes?)/,
  transformer: (text: string) => topology.parseDuration(text),
  useForSnippets: false,
});
