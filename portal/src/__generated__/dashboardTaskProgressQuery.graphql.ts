/**
 * @generated SignedSource<<1bd36437ffb2501b9bddc0ced3f062bb>>
 * @relayHash 72775a4c658f4fcf466493934db24ee9
 * @lightSyntaxTransform
 * @nogrep
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

// @relayRequestID a11a108f104cd55d00275f96ca178e391e452fbc0cc5871d4ff33a07397804dc

import { ConcreteRequest } from 'relay-runtime';
export type dashboardTaskProgressQuery$variables = {
  id: string;
  planId: string;
};
export type dashboardTaskProgressQuery$data = {
  readonly node: {
    readonly taskProgress?: {
      readonly asOf: string;
      readonly children: ReadonlyArray<{
        readonly blocked: number;
        readonly committee: {
          readonly code: string;
          readonly id: string;
          readonly name: string;
        };
        readonly completion: number | null | undefined;
        readonly done: number;
        readonly inProgress: number;
        readonly notStarted: number;
        readonly overdue: number;
        readonly total: number;
      }>;
      readonly completion: number | null | undefined;
      readonly done: number;
      readonly overdue: number;
      readonly total: number;
    };
  } | null | undefined;
};
export type dashboardTaskProgressQuery = {
  response: dashboardTaskProgressQuery$data;
  variables: dashboardTaskProgressQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  },
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "planId"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
],
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "total",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "done",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "overdue",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "completion",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v7 = {
  "kind": "InlineFragment",
  "selections": [
    {
      "alias": null,
      "args": [
        {
          "kind": "Variable",
          "name": "planId",
          "variableName": "planId"
        }
      ],
      "concreteType": "TaskProgress",
      "kind": "LinkedField",
      "name": "taskProgress",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "asOf",
          "storageKey": null
        },
        (v2/*: any*/),
        (v3/*: any*/),
        (v4/*: any*/),
        (v5/*: any*/),
        {
          "alias": null,
          "args": null,
          "concreteType": "TaskProgress",
          "kind": "LinkedField",
          "name": "children",
          "plural": true,
          "selections": [
            {
              "alias": null,
              "args": null,
              "concreteType": "Committee",
              "kind": "LinkedField",
              "name": "committee",
              "plural": false,
              "selections": [
                (v6/*: any*/),
                {
                  "alias": null,
                  "args": null,
                  "kind": "ScalarField",
                  "name": "name",
                  "storageKey": null
                },
                {
                  "alias": null,
                  "args": null,
                  "kind": "ScalarField",
                  "name": "code",
                  "storageKey": null
                }
              ],
              "storageKey": null
            },
            (v2/*: any*/),
            (v3/*: any*/),
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "inProgress",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "notStarted",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "blocked",
              "storageKey": null
            },
            (v4/*: any*/),
            (v5/*: any*/)
          ],
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Committee",
  "abstractKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "dashboardTaskProgressQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*: any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          (v7/*: any*/)
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*: any*/),
    "kind": "Operation",
    "name": "dashboardTaskProgressQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*: any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "__typename",
            "storageKey": null
          },
          (v7/*: any*/),
          (v6/*: any*/)
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "id": "a11a108f104cd55d00275f96ca178e391e452fbc0cc5871d4ff33a07397804dc",
    "metadata": {},
    "name": "dashboardTaskProgressQuery",
    "operationKind": "query",
    "text": null
  }
};
})();

(node as any).hash = "9faed26f6771c9e3acde694a75299422";

export default node;
