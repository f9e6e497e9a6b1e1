Feature: Duplicate links
  When two servers dial each other, the handshake's deterministic tie-break (S-10) keeps exactly one link —
  at start, after the link is cut and heals, and after either side restarts — and the unique-link invariant
  (I4) holds at every instant of the recorded history.

  Background:
    Given the topology "mutual-dials" is running

  Scenario: Mutual dials leave one link
    Then within 5 seconds "alpha" and "beta" share exactly one link
    And within 3 seconds process "alpha/billing" sees service "web"
    And every invariant holds

  Scenario: After a cut heals, the servers again share one link
    When the link between "alpha" and "beta" is cut
    Then within 3 seconds process "alpha/billing" no longer sees service "web"
    When the link between "alpha" and "beta" heals
    Then within 6 seconds "alpha" and "beta" share exactly one link
    And within 3 seconds process "beta/web" sees service "billing"
    And every invariant holds

  Scenario: After one side restarts, the servers again share one link
    When process "beta/exchange" crashes
    And process "beta/exchange" starts again
    Then within 6 seconds "alpha/exchange" and "beta/exchange" share exactly one link
    And within 3 seconds process "alpha/billing" sees service "web"
    And every invariant holds
