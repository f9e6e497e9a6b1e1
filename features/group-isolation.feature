Feature: Exchange group isolation
  Exchange groups partition the exchange: endpoints of different groups never link, a mismatched connection
  is refused with an explicit GROUP_MISMATCH (not silence) and learns nothing, two groups can share machines
  side by side without seeing each other, and only a bridge process (the OSE manual's front end) joins them —
  passing on what the audience allows and nothing more.

  Scenario: A process dialling a server of another group is refused and learns nothing
    Given the topology "three-machine-mesh" is running
    When a new process "gamma/intruder" with exchange group "admin" connects to "alpha/exchange"
    Then within 5 seconds process "gamma/intruder" is refused by "alpha/exchange" with "GROUP_MISMATCH"
    And for 2 seconds process "gamma/intruder" never sees service "billing"
    And every invariant holds

  Scenario: A new process in the right group joins and sees the mesh
    Given the topology "three-machine-mesh" is running
    When a new process "gamma/newcomer" with exchange group "" connects to "alpha/exchange"
    Then within 5 seconds process "gamma/newcomer" sees service "web"
    And process "gamma/newcomer" can call service "billing"

  Scenario: Two groups side by side on the same machines never see each other
    Given the topology "two-groups" is running
    Then within 5 seconds the services seen are:
      | process      | catalog | cart | metrics | alerts |
      | alpha/shop   | yes     | yes  | no      | no     |
      | beta/cart    | yes     | yes  | no      | no     |
      | alpha/monitor| no      | no   | yes     | yes    |
      | beta/pager   | no      | no   | yes     | yes    |
    And for 2 seconds process "alpha/shop" never sees service "metrics"
    And for 1 second process "beta/pager" never sees service "catalog"
    And every invariant holds

  Scenario: A service offered later stays in its own group
    Given the topology "two-groups" is running
    When process "alpha/monitor" offers service "dashboards"
    Then within 3 seconds process "beta/pager" sees service "dashboards"
    And for 2 seconds process "beta/cart" never sees service "dashboards"

  Scenario: The OSE front end bridges the database group into the default group
    Given the topology "frontend-bridge" is running
    Then within 5 seconds the services seen are:
      | process        | catalog | orders-api | orders | history |
      | beta/frontend  | yes     | yes        | yes    | yes     |
      | beta/store     | yes     | yes        | yes    | yes     |
      | gamma/archive  | yes     | yes        | yes    | yes     |
      | alpha/shop     | yes     | yes        | no     | no      |
    And for 2 seconds process "alpha/shop" never sees service "orders"
    And a call from process "beta/frontend" to service "history" is answered by process "gamma/archive"
    And every invariant holds
