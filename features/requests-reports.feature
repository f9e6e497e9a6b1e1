Feature: Requests and reports across faults
  A request settles exactly once — answered, failed, or with an explicit outcome when its target is gone — and
  a caller is answered by another provider of the same service when the first one goes away. Reports reach
  every subscriber once, in order, and a cached report (lifetime -1) reaches a subscriber again after a fault
  heals. Service groups travel with the bindings.

  Background:
    Given the topology "failover" is running

  Scenario: A call is answered by the preferred provider, then by the standby when it crashes
    Then a call from process "alpha/desk" to service "web" is answered by process "beta/web"
    When machine "beta" crashes
    Then a call from process "alpha/desk" to service "web" is answered by process "gamma/standby"
    And every invariant holds

  Scenario: With every provider gone, calls fail with an explicit outcome
    When process "beta/web" shuts down
    And process "gamma/standby" shuts down
    Then within 3 seconds process "alpha/desk" no longer sees service "web"
    And a call from process "alpha/desk" to service "web" fails with "SERVICE_UNAVAILABLE"
    And every invariant holds

  Scenario: A call crosses two servers and is answered by the provider's process
    Then within 5 seconds every process sees service "prices"
    And a call from process "alpha/desk" to service "prices" is answered by process "gamma/feed"
    And every invariant holds

  Scenario: A call with a method and JSON arguments is answered as the application would; the answer is kept
    Then a call from process "alpha/desk" to service "prices" with method "quote" and arguments '{"pair":"eur.usd"}' answers '{"service":"prices","method":"quote","args":{"pair":"eur.usd"}}'
    When process "alpha/desk" calls service "prices" with method "fail" and arguments '{"code":409}'
    Then the answer fails with "409"
    When process "alpha/desk" calls service "web" with method "total" and arguments '[1,2]'
    Then the answer contains '{"process":"web","args":[1,2]}'
    When process "alpha/desk" calls service "web" with method "slow" and arguments '{"ms":300}'
    Then the answer contains '{"method":"slow"}'
    And the answer came within 2 seconds
    And every invariant holds

  Scenario: A subscriber receives published reports
    When process "alpha/desk" subscribes to reports "eur.*" from service "prices"
    And service "prices" in process "gamma/feed" publishes "1.08" on subject "eur.usd" with lifetime -1
    Then within 5 seconds process "alpha/desk" receives "1.08" on subject "eur.usd"
    When service "prices" in process "gamma/feed" publishes "1.09" on subject "eur.usd"
    Then within 3 seconds process "alpha/desk" receives "1.09" on subject "eur.usd"
    And every invariant holds

  Scenario: A cached report reaches the subscriber again after a cut heals
    When process "alpha/desk" subscribes to reports "eur.*" from service "prices"
    And service "prices" in process "gamma/feed" publishes "1.08" on subject "eur.usd" with lifetime -1
    Then within 5 seconds process "alpha/desk" receives "1.08" on subject "eur.usd"
    When the link between "alpha" and "gamma" is cut
    Then within 3 seconds process "alpha/desk" no longer sees service "prices"
    When service "prices" in process "gamma/feed" publishes "1.10" on subject "eur.usd" with lifetime -1
    And the link between "alpha" and "gamma" heals
    Then within 6 seconds process "alpha/desk" receives "1.10" on subject "eur.usd"
    And every invariant holds

  Scenario: Service group membership travels with the binding and is withdrawn with it
    When service "web" in process "beta/web" joins service group "frontends"
    And service "web" in process "gamma/standby" joins service group "frontends"
    Then within 3 seconds the members of service group "frontends" seen by process "alpha/desk" are "web"
    When service "web" in process "beta/web" leaves service group "frontends"
    And service "web" in process "gamma/standby" leaves service group "frontends"
    Then within 3 seconds the members of service group "frontends" seen by process "alpha/desk" are ""
    And every invariant holds
