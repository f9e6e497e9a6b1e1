Feature: The rules the checkers judge, exercised under traffic
  Every rule a checker judges is put to work by a scenario here, so that an exchange that breaks it fails a
  bundled feature and not only a unit test: calls in flight when their target crashes or withdraws (I8), reports
  to a subscriber with overlapping patterns (I10), a cached report that expires before a late subscriber comes
  (I12), service-group membership across a restart, and the OSE front end bridging two groups under load.

  Scenario: Calls in flight when their provider crashes settle at once, not at their timeout
    Given the topology "three-machine-mesh" is running
    And process "gamma/reporter" calls service "billing" with method "slow" and arguments '{"ms":400}' every 50 ms
    When 1 second passes
    And process "alpha/billing" crashes
    Then within 3 seconds process "gamma/reporter" no longer sees service "billing"
    When the workloads stop
    Then every call made while no fault was active succeeded
    And every invariant holds

  Scenario: Calls in flight when their provider withdraws settle SERVICE_WITHDRAWN
    Given the topology "three-machine-mesh" is running
    And process "gamma/reporter" calls service "billing" with method "slow" and arguments '{"ms":400}' every 50 ms
    When 1 second passes
    And process "alpha/billing" withdraws service "billing"
    Then within 3 seconds process "gamma/reporter" no longer sees service "billing"
    When the workloads stop
    Then every invariant holds

  Scenario: A subscriber with overlapping patterns gets each report once, in order
    Given the topology "three-machine-mesh" is running
    When process "gamma/reporter" subscribes to reports "price.*" from service "billing"
    And process "gamma/reporter" subscribes to reports "price.eur" from service "billing"
    And process "gamma/reporter" subscribes to reports "*" from service "billing"
    And service "billing" in process "alpha/billing" publishes on subject "price.eur" every 5 ms
    And 3 seconds pass
    And the workloads stop
    Then no report from "billing" to "gamma/reporter" was lost, doubled or reordered outside the fault windows
    And every invariant holds

  Scenario: A cached report with a finite lifetime expires before a late subscriber arrives
    Given the topology "three-machine-mesh" is running
    When service "billing" in process "alpha/billing" publishes "1.07" on subject "price.eur" with lifetime 1
    And process "beta/web" subscribes to reports "price.*" from service "billing"
    Then within 3 seconds process "beta/web" receives "1.07" on subject "price.eur"
    When 1.5 seconds pass
    And process "gamma/reporter" subscribes to reports "price.*" from service "billing"
    And 1 second passes
    Then every invariant holds

  Scenario: Service-group membership is lost with the incarnation that joined, and taken again after a restart
    Given the topology "failover" is running
    When service "web" in process "beta/web" joins service group "frontends"
    Then within 3 seconds the members of service group "frontends" seen by process "alpha/desk" are "web"
    When process "beta/web" crashes
    Then within 3 seconds the members of service group "frontends" seen by process "alpha/desk" are ""
    When process "beta/web" starts again
    And service "web" in process "beta/web" joins service group "frontends"
    Then within 5 seconds the members of service group "frontends" seen by process "alpha/desk" are "web"
    And every invariant holds

  Scenario: The OSE front end under load: the default group calls through the bridge while a store goes away
    Given the topology "frontend-bridge" is running
    And process "alpha/shop" calls service "orders-api" every 20 ms
    And process "beta/frontend" calls service "orders" every 20 ms
    When 1 second passes
    And process "beta/store" crashes
    Then within 3 seconds process "beta/frontend" no longer sees service "orders"
    When process "beta/store" starts again
    Then within 6 seconds of "beta/store" coming back the calls from "beta/frontend" to "orders" succeed again
    When the workloads stop
    Then at least 99% of the calls from "alpha/shop" to "orders-api" succeeded
    And every call made while no fault was active succeeded
    And every invariant holds
