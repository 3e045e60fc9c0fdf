/** The home page: nothing of its own beyond what every page does. */
import { startPage } from './start.js';

startPage();
