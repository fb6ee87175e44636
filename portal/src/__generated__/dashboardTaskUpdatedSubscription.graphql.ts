/**
 * @generated SignedSource<<5a6926d4cab6df84c3371b00ca4c3685>>
 * @relayHash 876771ff72850a9ac361596d524a4241
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID b84bc10b74da2f1fc997b2b5c8ef3b070f37b8c787517da7689fda7df2686fba

import { ConcreteRequest } from 'relay-runtime';
export type TaskStatus = "BLOCKED" | "CANCELLED" | "DONE" | "IN_PROGRESS" | "NOT_STARTED" | "%future added value";
export type dashboardTaskUpdatedSubscription$variables = {
  committeeId: string;
};
export type dashboardTaskUpdatedSubscription$data = {
  readonly taskUpdated: {
    readonly committee: {
      readonly name: string;
    };
    readonly id: string;
    readonly number: string;
    readonly overdue: boolean;
    readonly percent: number;
    readonly status: TaskStatus;
    readonly title: string;
    readonly updatedAt: string;
    readonly version: number;
  };
};
export type dashboardTaskUpdatedSubscription = {
  response: dashboardTaskUpdatedSubscription$data;
  variables: dashboardTaskUpdatedSubscription$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "committeeId"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "committeeId",
    "variableName": "committeeId"
  },
  {
    "kind": "Literal",
    "name": "includeSubtree",
    "value": true
  }
],
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "number",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "title",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "percent",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "overdue",
  "storageKey": null
},
v8 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "version",
  "storageKey": null
},
v9 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "updatedAt",
  "storageKey": null
},
v10 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "dashboardTaskUpdatedSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v1/*: any*/),
        "concreteType": "Task",
        "kind": "LinkedField",
        "name": "taskUpdated",
        "plural": false,
        "selections": [
          (v2/*: any*/),
          (v3/*: any*/),
          (v4/*: any*/),
          (v5/*: any*/),
          (v6/*: any*/),
          (v7/*: any*/),
          (v8/*: any*/),
          (v9/*: any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Committee",
            "kind": "LinkedField",
            "name": "committee",
            "plural": false,
            "selections": [
              (v10/*: any*/)
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Subscription",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Operation",
    "name": "dashboardTaskUpdatedSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v1/*: any*/),
        "concreteType": "Task",
        "kind": "LinkedField",
        "name": "taskUpdated",
        "plural": false,
        "selections": [
          (v2/*: any*/),
          (v3/*: any*/),
          (v4/*: any*/),
          (v5/*: any*/),
          (v6/*: any*/),
          (v7/*: any*/),
          (v8/*: any*/),
          (v9/*: any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Committee",
            "kind": "LinkedField",
            "name": "committee",
            "plural": false,
            "selections": [
              (v10/*: any*/),
              (v2/*: any*/)
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "id": "b84bc10b74da2f1fc997b2b5c8ef3b070f37b8c787517da7689fda7df2686fba",
    "metadata": {},
    "name": "dashboardTaskUpdatedSubscription",
    "operationKind": "subscription",
    "text": null
  }
};
})();

(node as any).hash = "a4e235f8cb4c707a8ef0398a611159bb";

export default node;
