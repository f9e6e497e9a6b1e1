Feature: Latency and bandwidth
  Slow links are not broken links. With added latency, jitter or a bandwidth limit on the proxies, links stay
  up (heartbeats still arrive), services still propagate and calls are still answered — only later.

  Background:
    Given the topology "three-machine-mesh" is running

  Scenario: Services propagate over a slow link
    When the link between "alpha" and "beta" gets 150 ms of latency
    And process "beta/web" offers service "catalog"
    Then within 3 seconds process "alpha/billing" sees service "catalog"
    And a call from process "alpha/billing" to service "catalog" is answered by process "beta/web"
    And for 2 seconds process "alpha/billing" never sees service "audit"
    And within 1 second "alpha" and "beta" share exactly one link

  Scenario: Latency with jitter keeps the link and the order of announcements
    When the link between "alpha" and "gamma" gets 100 ms of latency with 50 ms of jitter
    And process "alpha/billing" withdraws service "billing"
    Then within 3 seconds process "gamma/reporter" no longer sees service "billing"
    When process "alpha/billing" offers service "billing"
    Then within 3 seconds process "gamma/reporter" sees service "billing"
    And every invariant holds

  Scenario: A bandwidth-limited link still carries the registry and requests
    When the link between "beta" and "gamma" is limited to 8 KB/s
    And process "gamma/reporter" offers service "reports"
    Then within 4 seconds process "beta/web" sees service "reports"
    And process "beta/web" can call service "reports"
    When the link between "beta" and "gamma" heals
    Then within 1 second "beta" and "gamma" share exactly one link
