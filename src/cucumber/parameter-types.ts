import { defineParameterType } from "@cucumber/cucumber";
import { DURATION_PATTERN, durationParameter } from "./duration";

// "5 seconds", "500 ms", "1.5 s", "200ms", "2 minutes" → milliseconds.
defineParameterType({
  name: "duration",
  regexp: DURATION_PATTERN,
  transformer: (text: string) => durationParameter(text),
  useForSnippets: false,
});
